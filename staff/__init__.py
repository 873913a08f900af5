"""The staff panel: the admin's theme, navigation and the pages that read across every app."""
