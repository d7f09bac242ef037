from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Partnership


def partnership_list(request):
    page = Paginator(Partnership.objects.listed(), 25).get_page(request.GET.get("page"))
    return render(request, "partnerships/partnership_list.html", {"page_obj": page})


def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), slug=slug)
    is_coordinator = partnership.is_coordinated_by(request.user)
    memberships = (
        partnership.memberships.select_related("user").order_by("role", "user__email")
        if is_coordinator
        else None
    )
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "is_coordinator": is_coordinator,
            "memberships": memberships,
        },
    )
