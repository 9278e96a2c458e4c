"""Class-based views for the team dashboards."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.generic import DetailView, ListView

from .models import Dashboard, Widget


class OwnedByTeamMixin:
    """Restricts the queryset to dashboards of the user's team."""

    def get_queryset(self) -> QuerySet[Dashboard]:
        qs = super().get_queryset()  # type: ignore[misc]
        return qs.filter(team=self.request.user.profile.team)  # type: ignore[attr-defined]


class DashboardList(LoginRequiredMixin, OwnedByTeamMixin, ListView):
    model = Dashboard
    paginate_by = 25
    template_name = "dashboards/list.html"

    def get_queryset(self) -> QuerySet[Dashboard]:
        return super().get_queryset().annotate(widget_count=Count("widgets")).order_by("-updated_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm("dashboards.add_dashboard")
        return context


class DashboardDetail(LoginRequiredMixin, PermissionRequiredMixin, OwnedByTeamMixin, DetailView):
    model = Dashboard
    permission_required = "dashboards.view_dashboard"
    template_name = "dashboards/detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if request.headers.get("Accept") == "application/json":
            return JsonResponse(self.object.as_json())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["widgets"] = Widget.objects.filter(dashboard=self.object).order_by("position")
        return context
