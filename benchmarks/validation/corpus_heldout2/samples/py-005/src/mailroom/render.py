"""Render e-mail bodies from Jinja templates."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


class TemplateRenderer:
    def __init__(self, template_dir: Path) -> None:
        self._env = Environment(
            loader=FileSystemLoader(str(template_dir)),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html"]),
        )

    def render_message(
        self,
        name: str,
        context: dict[str, object],
        *,
        with_html: bool = True,
    ) -> RenderedMail:
        subject = self._env.get_template(f"{name}/subject.txt").render(context).strip()
        text = self._env.get_template(f"{name}/body.txt").render(context)
        html = None
        if with_html:
            html = self._env.get_template(f"{name}/body.html").render(context)
        return RenderedMail(subject=subject, text=text, html=html)
