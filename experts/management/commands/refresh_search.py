from django.core.management.base import BaseCommand

from experts.models import ExpertProfile
from experts.services import rebuild_search_words, refresh_search_document


class Command(BaseCommand):
    help = (
        "Rebuild every profile's search columns and the words typos are read against: once after an "
        "upgrade that changes how text is analysed (kokemuspankki/text.py), or after renaming list items."
    )

    def handle(self, *args, **options):
        count = 0
        profiles = ExpertProfile.objects.select_related("organisation").order_by("pk")
        for profile in profiles.iterator(chunk_size=500):
            refresh_search_document(profile)
            count += 1
        words = rebuild_search_words()
        self.stdout.write(f"{count} profiles refreshed, {words} search words.")
