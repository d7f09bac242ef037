import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.partnerships.factories import PartnershipFactory
from tests.toolkit_portal.factories import ConsultantFactory, CoordinatorFactory
from trainings.choices import Cost, Delivery, Format, GrowthArea, RequestStatus
from trainings.models import (
    Evaluation,
    GrowthGoal,
    Provider,
    Training,
    TrainingRecord,
    TrainingRequest,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


def pdf_upload(name="certificate.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider {n}")
    website = "https://provider.example.org/"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda n: f"Training course {n}")
    slug = factory.Sequence(lambda n: f"training-course-{n}")
    provider = factory.SubFactory(ProviderFactory)
    delivery = Delivery.ONLINE
    format = Format.COURSE
    cost = Cost.VARIES
    description = "A course."
    topics = factory.LazyFunction(lambda: ["trauma_informed_care"])
    audiences = factory.LazyFunction(list)
    key_areas = factory.LazyFunction(lambda: ["training"])
    principles = factory.LazyFunction(list)
    growth_areas = factory.LazyFunction(lambda: ["knowledge_skills"])
    is_published = True
    published_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(ConsultantFactory)
    training = factory.SubFactory(TrainingFactory)
    completed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    hours = Decimal("6")


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    record = factory.SubFactory(TrainingRecordFactory)
    rating = 4
    comment = "Useful."


class GrowthGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrowthGoal

    person = factory.SubFactory(ConsultantFactory)
    area = GrowthArea.KNOWLEDGE_SKILLS
    topics = factory.LazyFunction(list)


class TrainingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRequest

    training = factory.SubFactory(TrainingFactory, on_site=True)
    partnership = factory.SubFactory(PartnershipFactory)
    requested_by = factory.SubFactory(CoordinatorFactory)
    preferred_from = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=30)
    )
    preferred_until = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=60)
    )
    audience_size = 20
    status = RequestStatus.SENT
