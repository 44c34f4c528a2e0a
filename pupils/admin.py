from django.contrib import admin

from pupils.models import NeedType, TeachingGroup

# Pupil records are not in the admin: every read of them must go through the audited views.
admin.site.register([NeedType, TeachingGroup])
