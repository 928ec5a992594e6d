"""Mixins shared by the back office's views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rules.contrib.views import PermissionRequiredMixin


class ReadFirstMixin(PermissionRequiredMixin):
    """Refuses (403, or the login page when logged out) anyone without ``read_permission``
    before any record is looked up, so someone who may not read the area never learns
    which ids exist. The view's own ``permission_required`` is checked after."""

    read_permission: str
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(self.read_permission):
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
