from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "provision"
    verbose_name = "Graduated approach and provision"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import provision.pupil_page  # noqa: F401 (imported for its registrations)

        # Register health (a page of the pupils app, which may not import this one) lists pupils
        # with no plan. Added here rather than on import of the selector, which many modules
        # import for other reasons: a read should not change another app's page as a side effect.
        from provision.selectors.plans import NO_PLAN, pupils_without_a_plan
        from pupils.selectors.register_health import contribute_check

        contribute_check(NO_PLAN, pupils_without_a_plan)

        # A subject access export (a feature of the pupils app) holds everything about the
        # pupil, plans and provision included, so this app adds its records to it.
        from provision.selectors.subject_access import provision_parts
        from pupils.selectors.subject_access import contribute_part

        contribute_part(provision_parts)
        # Disposing of a leaver's record (pupils' retention service) removes their plans too,
        # which the cascade from the pupil alone cannot (a previous cycle is protected).
        from provision.services.plans import remove_plans_for_disposal
        from pupils.services.retention import contribute_remover

        contribute_remover("provision.plans", remove_plans_for_disposal)
