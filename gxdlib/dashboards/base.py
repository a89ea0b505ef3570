"""The shared page shell: one template, one header, the language switch.

A page subclasses :class:`Page`, says its title key and fills ``sidebar()`` and
``main()``; ``__panel__`` wraps them in the same FastListTemplate everywhere.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
import param

from gxdlib.dashboards.i18n import LANGUAGES, label

ACCENT = "#1b7f5b"
"""Header colour shared by every page (a green for a green-and-digital consortium)."""

PAGES: dict[str, str] = {
    "page_overview": "overview",
    "page_vppa": "vppa",
    "page_procurement": "procurement",
    "page_footprint": "footprint",
}
"""Served pages: label key to the app name under ``apps/`` (its URL path)."""


class Page(pn.viewable.Viewer):
    """Base of every dashboard page.

    Subclasses set ``title_key`` and implement :meth:`sidebar` and :meth:`main`.
    """

    language = param.Selector(default="en", objects=list(LANGUAGES.values()), doc="en or ja")

    title_key: str = "app_title"

    def text(self, key: str) -> str:
        """A label in the page's current language."""
        return label(key, self.language)

    def sidebar(self) -> list:
        """Widgets for the sidebar, below the language switch."""
        return []

    def main(self) -> list:
        """The page's content."""
        raise NotImplementedError

    def statistics_table(self, rows: list[tuple[str, str]], css_class: str) -> pn.widgets.Tabulator:
        """A read-only two-column table of (label key, formatted value) rows.

        The values are DOM text, so browser tests can read them.
        """
        table = pd.DataFrame(
            {
                self.text("statistic"): [self.text(key) for key, _ in rows],
                self.text("value"): [value for _, value in rows],
            }
        )
        return pn.widgets.Tabulator(
            table,
            show_index=False,
            disabled=True,
            css_classes=[css_class],
            sizing_mode="stretch_width",
        )

    def data_status_alert(
        self, is_sample: bool, source: str, what_key: str = "data_status"
    ) -> pn.pane.Alert:
        """Says on screen whether real or sample data is shown for ``what_key``, and from where."""
        kind = self.text("sample_data" if is_sample else "real_data")
        return pn.pane.Alert(
            f"**{self.text(what_key)}: {kind}**<br>{source}",
            alert_type="warning" if is_sample else "success",
            css_classes=["data-status"],
        )

    def language_switch(self) -> pn.widgets.RadioButtonGroup:
        return pn.widgets.RadioButtonGroup.from_param(
            self.param.language, options=LANGUAGES, name="", button_type="light"
        )

    def heading(self) -> pn.pane.Markdown:
        """The page title, in the current language."""
        return pn.pane.Markdown(
            pn.bind(lambda _: f"## {self.text(self.title_key)}", self.param.language),
            margin=(0, 10),
        )

    def navigation(self) -> pn.pane.Markdown:
        def links(_: str) -> str:
            items = "\n".join(f"- [{self.text(key)}](./{app})" for key, app in PAGES.items())
            return f"**{self.text('pages')}**\n\n{items}"

        return pn.pane.Markdown(pn.bind(links, self.param.language))

    def __panel__(self) -> pn.template.FastListTemplate:
        return pn.template.FastListTemplate(
            title=label("app_title", "en") + " | " + label("app_title", "ja"),
            sidebar=[self.language_switch(), *self.sidebar(), self.navigation()],
            main=[self.heading(), *self.main()],
            header_background=ACCENT,
            accent_base_color=ACCENT,
            theme_toggle=False,
            sidebar_width=300,
        )
