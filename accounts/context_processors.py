def roles(request):
    """`user_roles`: the signed-in user's role names, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {"user_roles": user.role_names()}
