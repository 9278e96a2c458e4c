from django.db import models


class Subscription(models.Model):
    stripe_id = models.CharField(max_length=64, unique=True)
    customer_id = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=32)
    current_period_end = models.IntegerField(null=True)
    cancel_at_period_end = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.stripe_id} ({self.status})"
