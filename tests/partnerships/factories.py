import factory

from partnerships.models import Membership, Partnership


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Task Force {n}")
    slug = factory.Sequence(lambda n: f"task-force-{n}")
    summary = "A partnership of agencies and survivor-led organizations."
    is_listed = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory("tests.toolkit_portal.factories.CoordinatorFactory")
    role = Membership.Role.COORDINATOR
