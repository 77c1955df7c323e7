"""Page-level access: a role outside an area gets 403 (objects outside the subtree: 404)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from portal.roles import Access, can


def require_access(area: str, level: Access = Access.READ):
    """Decorator for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, area, level):
                # The area names what the role lacks on the 403 page (portal/errors.py).
                raise PermissionDenied(area)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class AreaAccessMixin:
    """For class-based views: set `area` and, for writes, `required_access = Access.EDIT`."""

    area: str = ""
    required_access: Access = Access.READ

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.area, self.required_access):
            raise PermissionDenied(self.area)
        return super().dispatch(request, *args, **kwargs)
