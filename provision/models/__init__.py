"""What the school does for each pupil and whether it works. Models live in modules by
feature; import them from here."""

from provision.models.interventions import (  # noqa: F401 (re-exported)
    CostBasis,
    DeliveredSession,
    Deliverer,
    Intervention,
    MeasureKind,
    Placement,
    ProvisionGroup,
    SessionStatus,
    Setting,
    StaffRate,
)
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
