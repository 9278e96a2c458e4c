from django.db import models


class Dashboard(models.Model):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    def as_json(self) -> dict[str, object]:
        return {"id": self.pk, "title": self.title, "widgets": [w.as_json() for w in self.widgets.all()]}


class Widget(models.Model):
    dashboard = models.ForeignKey(Dashboard, related_name="widgets", on_delete=models.CASCADE)
    kind = models.CharField(max_length=32)
    position = models.PositiveIntegerField(default=0)
    config = models.JSONField(default=dict)

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "position": self.position, "config": self.config}
