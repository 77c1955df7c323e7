"""Page-level access: a role outside an area, or without the capability a page needs, gets
403 (objects outside the subtree: 404). Both come from the tables in portal/roles.py."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from portal.roles import Access, can, may


def allowed(user, area: str, level: Access, capability: str | None = None) -> bool:
    if not can(user, area, level):
        return False
    return capability is None or may(user, capability)


def require_access(area: str, level: Access = Access.READ, capability: str | None = None):
    """Decorator for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, area, level):
                # The area names what the role lacks on the 403 page (portal/errors.py).
                raise PermissionDenied(area)
            if capability is not None and not may(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class AreaAccessMixin:
    """For class-based views: set `area` and, for writes, `required_access = Access.EDIT`;
    `capability` for a page that also needs one (portal.roles.Capability)."""

    area: str = ""
    required_access: Access = Access.READ
    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.area, self.required_access):
            raise PermissionDenied(self.area)
        if self.capability is not None and not may(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
