"""What the users app announces once a staff change has committed, for the layer that tells the user."""

from django.dispatch import Signal

# Staff granted or revoked Premium and chose to tell the users: `user_ids`, `kind` ("granted"/"revoked"), `days`.
premium_changed_by_staff = Signal()
