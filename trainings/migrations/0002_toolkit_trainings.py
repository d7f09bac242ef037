"""The Partnership Toolkit's training resources ("Survivor Engagement" page), as initial data.

Each training keeps the toolkit's notes word for word in `toolkit_notes` (two resources are
listed without notes). Existing rows are left alone, so running this again, or after an
admin edited a training, changes nothing. Websites are the providers' home pages; an admin
keeps them current.
"""

from django.db import migrations
from django.utils import timezone

IN_PERSON, ONLINE = "in_person", "online"

PROVIDERS = {
    "ACE Interface": "https://www.aceinterface.com/",
    "SAMHSA's GAINS Center": "https://www.samhsa.gov/",
    "Gundersen National Child Protection Training Center": "https://www.gundersenhealth.org/",
    "Lakeside Global Institute": "https://www.lakesidelink.com/",
    "National Council for Behavioral Health": "https://www.thenationalcouncil.org/",
    "Origins Training and Consulting": "https://www.originstraining.org/",
    "Alberta Family Wellness Initiative": "https://www.albertafamilywellness.org/",
    "THRIVE": "",
}

TRAININGS = [
    {
        "slug": "ace-interface",
        "title": "ACE Interface",
        "provider": "ACE Interface",
        "delivery": IN_PERSON,
        "format": "workshop",
        "cost": "varies",
        "on_site": False,
        "audiences": ["community", "education", "health_care", "social_work", "government"],
        "topics": ["trauma_informed_care", "aces", "resilience"],
        "key_areas": ["training", "engagement", "cross_sector"],
        "principles": ["safety", "collaboration"],
        "growth_areas": ["knowledge_skills"],
        "description": (
            "In-person presentations and training on adverse childhood experiences (ACEs) "
            "and how communities can respond to them."
        ),
        "toolkit_notes": "",
    },
    {
        "slug": "gains-center-trauma-training-criminal-justice",
        "title": "GAINS Center Trauma Training for Criminal Justice Professionals",
        "provider": "SAMHSA's GAINS Center",
        "delivery": IN_PERSON,
        "format": "workshop",
        "cost": "varies",
        "on_site": False,
        "audiences": [
            "law_enforcement",
            "prosecution",
            "legal_services",
            "victim_services",
            "behavioral_health",
        ],
        "topics": ["trauma_informed_care", "criminal_justice", "advocacy"],
        "key_areas": ["training", "screening", "cross_sector"],
        "principles": ["safety", "trustworthiness"],
        "growth_areas": ["knowledge_skills"],
        "description": (
            "Trauma training from the Substance Abuse and Mental Health Services "
            "Administration (SAMHSA) for professionals in the criminal justice system."
        ),
        "toolkit_notes": (
            "Recognizes the brevity of trauma and realizes the symptoms/signs.\n"
            "Centered around advocacy and interaction with victims."
        ),
    },
    {
        "slug": "gundersen-national-child-protection-training-center",
        "title": "Gundersen National Child Protection Training Center",
        "provider": "Gundersen National Child Protection Training Center",
        "delivery": IN_PERSON,
        "format": "course",
        "cost": "varies",
        "on_site": True,
        "audiences": [
            "child_welfare",
            "law_enforcement",
            "prosecution",
            "education",
            "health_care",
            "victim_services",
        ],
        "topics": ["trauma_informed_care", "child_protection"],
        "key_areas": ["training", "screening"],
        "principles": ["safety", "survivor_support"],
        "growth_areas": ["knowledge_skills"],
        "description": (
            "Training for professionals who work with children, held in two parts; it can "
            "come to your organization."
        ),
        "toolkit_notes": (
            "A two part training emphasizing working with children, challenging individuals, "
            "and utilizing trauma-informed care\n"
            "Trainings can be at organization sites."
        ),
    },
    {
        "slug": "lakeside-global-institute",
        "title": "Lakeside Global Institute",
        "provider": "Lakeside Global Institute",
        "delivery": IN_PERSON,
        "format": "course",
        "cost": "varies",
        "on_site": False,
        "audiences": ["social_work", "education"],
        "topics": ["trauma_informed_care", "professional_development"],
        "key_areas": ["training"],
        "principles": ["safety", "trustworthiness"],
        "growth_areas": ["knowledge_skills", "confidence"],
        "description": (
            "Collegiate-style professional development in trauma-informed practice for "
            "social work, education and early-childhood professionals."
        ),
        "toolkit_notes": (
            "Helps for ongoing professional development on social work, education, and "
            "early-childhood professions.\n"
            "Collegiate-style professional development."
        ),
    },
    {
        "slug": "national-council-trauma-informed-care-learning-community",
        "title": "National Council for Behavioral Health Trauma-Informed Care Learning Community",
        "provider": "National Council for Behavioral Health",
        "delivery": IN_PERSON,
        "format": "learning_community",
        "cost": "varies",
        "on_site": False,
        "audiences": ["behavioral_health", "health_care"],
        "topics": ["trauma_informed_care", "organizational_change", "staff_wellness"],
        "key_areas": ["governance", "policy", "training", "progress_monitoring"],
        "principles": ["safety", "trustworthiness", "collaboration"],
        "growth_areas": ["knowledge_skills", "leadership"],
        "description": (
            "A learning community of the National Council for Behavioral Health for mental "
            "health and substance use organizations that are putting trauma-informed care "
            "into practice across the whole organization."
        ),
        "toolkit_notes": (
            "Helps mental health and substance use organizations to integrate and sustain "
            "trauma-informed care in their organization’s practices."
        ),
    },
    {
        "slug": "origins-training-and-consulting",
        "title": "Origins Training and Consulting",
        "provider": "Origins Training and Consulting",
        "delivery": IN_PERSON,
        "format": "consulting",
        "cost": "varies",
        "on_site": True,
        "audiences": ["community", "education", "health_care", "government", "social_work"],
        "topics": ["trauma_informed_care", "aces", "resilience", "organizational_change"],
        "key_areas": ["governance", "policy", "training", "cross_sector"],
        "principles": ["collaboration", "empowerment"],
        "growth_areas": ["knowledge_skills", "leadership"],
        "description": (
            "Training and consulting for organizations and communities on resilience and "
            "trauma-informed practice grounded in the science of adverse childhood "
            "experiences."
        ),
        "toolkit_notes": (
            "Offers training and consulting for organizations and communities to integrate "
            "resilience and trauma-informed practices based on the science of adverse "
            "childhood experiences."
        ),
    },
    {
        "slug": "brain-story-certification",
        "title": "Brain Story Certification",
        "provider": "Alberta Family Wellness Initiative",
        "delivery": ONLINE,
        "format": "certification",
        "cost": "free",
        "on_site": False,
        "audiences": [
            "community",
            "education",
            "health_care",
            "behavioral_health",
            "child_welfare",
            "social_work",
            "survivor_leaders",
        ],
        "topics": ["trauma_informed_care", "brain_development", "aces", "resilience"],
        "key_areas": ["training"],
        "principles": ["safety", "empowerment"],
        "growth_areas": ["knowledge_skills", "confidence"],
        "description": (
            "A free online certification course from the Alberta Family Wellness Initiative "
            "on how early experiences shape the developing brain and lifelong health."
        ),
        "toolkit_notes": (
            "Free course focusing on science and significance of early experiences and their "
            "impact on lifelong health"
        ),
    },
    {
        "slug": "thrive-trauma-informed-webinar-trainings",
        "title": "THRIVE's Trauma-Informed Webinar Trainings",
        "provider": "THRIVE",
        "delivery": ONLINE,
        "format": "webinar_series",
        "cost": "varies",
        "on_site": False,
        "audiences": ["community", "victim_services", "behavioral_health", "survivor_leaders"],
        "topics": ["trauma_informed_care"],
        "key_areas": ["training", "engagement"],
        "principles": ["safety", "trustworthiness", "empowerment"],
        "growth_areas": ["knowledge_skills"],
        "description": "A series of webinars on trauma-informed practice.",
        "toolkit_notes": "",
    },
]


def add_toolkit_trainings(apps, schema_editor):
    Provider = apps.get_model("trainings", "Provider")
    Training = apps.get_model("trainings", "Training")
    now = timezone.now()
    providers = {}
    for name, website in PROVIDERS.items():
        providers[name], _created = Provider.objects.get_or_create(
            name=name, defaults={"website": website}
        )
    for entry in TRAININGS:
        fields = dict(entry)
        slug, provider = fields.pop("slug"), providers[fields.pop("provider")]
        Training.objects.get_or_create(
            slug=slug,
            defaults={
                **fields,
                "provider": provider,
                "in_toolkit": True,
                "is_published": True,
                "published_at": now,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]

    operations = [migrations.RunPython(add_toolkit_trainings, migrations.RunPython.noop)]
