"""The catalog's own vocabulary. Key areas and principles come from toolkit_portal.vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Format(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    COURSE = "course", _("Course")
    WEBINAR_SERIES = "webinar_series", _("Webinar series")
    CERTIFICATION = "certification", _("Certification")
    LEARNING_COMMUNITY = "learning_community", _("Learning community")
    CONSULTING = "consulting", _("Consulting")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    PAID = "paid", pgettext_lazy("what a training costs", "Paid")
    VARIES = "varies", _("Varies")


class Audience(models.TextChoices):
    """Who a training is for. Values match toolkit_portal.vocabulary.Sector where they overlap."""

    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PROSECUTION = "prosecution", _("Prosecution")
    LEGAL_SERVICES = "legal_services", _("Legal services and courts")
    VICTIM_SERVICES = "victim_services", _("Victim services and advocates")
    HEALTH_CARE = "health_care", _("Health care")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Mental health and substance use")
    CHILD_WELFARE = "child_welfare", _("Child welfare and child protection")
    EDUCATION = "education", _("Education and early childhood")
    SOCIAL_WORK = "social_work", _("Social work")
    GOVERNMENT = "government", _("Government")
    FAITH_COMMUNITY = "faith_community", _("Faith community")
    COMMUNITY = "community", _("Community members and organizations")
    SURVIVOR_LEADERS = "survivor_leaders", _("Survivor leaders")


class Topic(models.TextChoices):
    TRAUMA_INFORMED_CARE = "trauma_informed_care", _("Trauma-informed care")
    ACES = "aces", _("Adverse childhood experiences (ACEs)")
    RESILIENCE = "resilience", _("Resilience")
    BRAIN_DEVELOPMENT = "brain_development", _("Brain development and early experiences")
    CHILD_PROTECTION = "child_protection", _("Working with children")
    CRIMINAL_JUSTICE = "criminal_justice", _("Trauma and the criminal justice system")
    ADVOCACY = "advocacy", _("Advocacy and interaction with victims")
    ORGANIZATIONAL_CHANGE = "organizational_change", _("Organizational practice and change")
    PROFESSIONAL_DEVELOPMENT = "professional_development", _("Professional development")
    SURVIVOR_LEADERSHIP = "survivor_leadership", _("Survivor leadership")
    STAFF_WELLNESS = "staff_wellness", _("Staff safety and wellness")
    CULTURAL_RESPONSIVENESS = "cultural_responsiveness", _("Cultural responsiveness")


class GrowthArea(models.TextChoices):
    """What a survivor grows in, as the toolkit puts it ("Tips on supporting the transition")."""

    KNOWLEDGE_SKILLS = "knowledge_skills", _("Knowledge and skills")
    CONFIDENCE = "confidence", _("Confidence and self-esteem")
    LEADERSHIP = "leadership", _("Leadership")


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    DECLINED = "declined", _("Declined")
