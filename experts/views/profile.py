from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.keep_own_profile", raise_exception=True)
def my_profile(request):
    """An expert's own page: profile, availability and assignments."""
    return render(request, "experts/my_profile.html")
