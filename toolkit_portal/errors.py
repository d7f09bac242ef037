"""The one base of every app's domain error, so views can show any service's refusal alike."""


class DomainError(Exception):
    """A change a service refuses, with the reason in words a person can act on. Each app's
    error (AccountError, PartnershipError, EngagementError, TrainingError) is one."""
