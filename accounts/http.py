"""What every app's views share about the request: which role may open a page, and a form's data."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(role: str):
    """A page for one role only (an expert's own profile and assignments). Staff pages ask for a
    permission instead; here a permission would let a superuser in, since a superuser has every
    permission, and the page would then offer them a profile of their own."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def posted(request):
    """The data to bind a form to: the POST, or None for a GET. Not `request.POST or None`: a POST
    with every box unticked is still a submitted form."""
    return request.POST if request.method == "POST" else None
