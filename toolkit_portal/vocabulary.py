"""The toolkit's fixed vocabulary, shared by every app (DESIGN.md, "The domain")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FourP(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", pgettext_lazy("one of the 4Ps", "Prosecution")
    PARTNERSHIP = "partnership", pgettext_lazy("one of the 4Ps", "Partnership")


class Sector(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PROSECUTION = "prosecution", _("Prosecution")
    VICTIM_SERVICES = "victim_services", _("Victim services")
    HEALTH_CARE = "health_care", _("Health care")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    EDUCATION = "education", _("Education")
    FAITH_COMMUNITY = "faith_community", _("Faith community")
    BUSINESS = "business", _("Business")
    GOVERNMENT = "government", _("Government")
    LEGAL_SERVICES = "legal_services", _("Legal services")
    SURVIVOR_LED = "survivor_led", _("Survivor-led organization")
    COMMUNITY = "community", _("Community organization")
    OTHER = "other", _("Other")


class SurvivorRole(models.TextChoices):
    """Roles a survivor leader may take (the toolkit's list, with the task-force functions)."""

    ADVOCACY = "advocacy", _("Advocating for change")
    FEEDBACK = "feedback", _("Giving feedback to professionals, agencies and support services")
    TRAINING = "training", _("Training and speaking")
    MENTORING = "mentoring", _("Supporting and mentoring peers")
    POLICY_REVIEW = "policy_review", _("Policy review")
    PROGRAM_DESIGN = "program_design", _("Program design and evaluation")
    LOCAL_CONSULTING = "local_consulting", _("Consulting on local activities")
    BOARD = "board", _("Serving on a survivor leader board")


class KeyArea(models.TextChoices):
    """The ten key areas of a trauma-informed partnership."""

    GOVERNANCE = "governance", _("Governance and leadership")
    POLICY = "policy", _("Policy")
    PHYSICAL_ENVIRONMENT = "physical_environment", _("Physical environment")
    ENGAGEMENT = "engagement", _("Engagement and involvement")
    CROSS_SECTOR = "cross_sector", _("Cross sector collaboration")
    SCREENING = "screening", _("Screening, assessment, treatment services")
    TRAINING = "training", _("Training and workforce development")
    PROGRESS_MONITORING = "progress_monitoring", _("Progress monitoring and quality assurance")
    FINANCING = "financing", _("Financing")
    EVALUATION = "evaluation", _("Evaluation")


class Principle(models.TextChoices):
    """The six key principles of a trauma-informed approach."""

    SAFETY = "safety", _("Safety")
    TRUSTWORTHINESS = "trustworthiness", _("Trustworthiness and transparency")
    SURVIVOR_SUPPORT = "survivor_support", _("Survivor support")
    COLLABORATION = "collaboration", _("Collaboration and mutuality")
    EMPOWERMENT = "empowerment", _("Empowerment, voice and choice")
    CULTURAL = "cultural", _("Cultural, historical and gender issues")


class FourR(models.TextChoices):
    """The Four R's: key assumptions in a trauma-informed approach."""

    REALIZE = "realize", _("Realize")
    RECOGNIZE = "recognize", _("Recognize")
    RESPOND = "respond", _("Respond")
    RESIST = "resist", _("Resist re-traumatization")
