"""The public portal: what anyone may read without an account."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    """Open to everyone: the landing page with the way in."""

    template_name = "public/home.html"
