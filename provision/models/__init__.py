"""What the school does for each pupil and whether it works. Models live in modules by
feature; import them from here."""

from provision.models.plans import (  # noqa: F401 (re-exported)
    Decision,
    OutcomeProgress,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Progress,
    ReviewComment,
    SupportPlan,
)
