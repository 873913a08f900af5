from django.utils.translation import gettext_lazy as _

TEST_HEADER = _("Test of a broadcast ({language}): only you got this.")
GONE = _("This offer is no longer available.")
