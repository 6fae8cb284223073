"""Reports API: JSON, CSV download and SVG bar charts (coordinators: own organisation;
admins: all organisations). Every format is built from the same suppressed report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.reports.services import GroupBy, Report, report_for
from service.domain.reports.svg import bar_chart
from service.kernel.deps import ActorDep
from service.kernel.roles import Role, roles
from service.kernel.spreadsheet import csv_text

REPORT_ROLES = roles(Role.COORDINATOR, Role.ADMIN)
By = Annotated[GroupBy, QueryParameter(description="organisation, region or period (intake quarter)")]
Start = Annotated[date | None, QueryParameter(description="intake on or after this day")]
End = Annotated[date | None, QueryParameter(description="intake before this day")]
Name = Annotated[str, QueryParameter(pattern=r"^[a-z_]{1,40}$", max_length=40)]


def _check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValidationException(detail="end: must be after start")


def _shown(value: object) -> object:
    return "suppressed" if value is None else value


def report_csv(report: Report) -> str:
    """One line per published cell; suppressed cells say so (never a number)."""
    lines: list[list[object]] = [["table", "row", "column", "value"]]
    for table in report.tables:
        for row, cells in zip(table.rows, table.cells, strict=True):
            for column, value in zip(table.columns, cells, strict=True):
                lines.append([table.name, row, column, _shown(value)])
        for row, value in zip(table.rows, table.row_totals, strict=False):
            lines.append([table.name, row, "total", _shown(value)])
        for column, value in zip(table.columns, table.column_totals, strict=False):
            lines.append([table.name, "total", column, _shown(value)])
        if table.column_totals or table.row_totals:
            lines.append([table.name, "total", "total", _shown(table.grand_total)])
    for stat in report.statistics:
        for column in ("median_days_to_first_formal_contract", "median_monthly_income_change"):
            lines.append(["statistics", stat.group, column, _shown(getattr(stat, column))])
    # Row labels are organisation names and other typed text: no cell may start a formula (S31).
    return csv_text(lines)


class ReportController(Controller):
    path = "/api/reports"
    tags = ["reports"]

    @get("/indicators", operation_id="GetReportIndicators", opt=REPORT_ROLES)
    async def indicators(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        by: By = GroupBy.ORGANISATION,
        start: Start = None,
        end: End = None,
    ) -> Report:
        """Aggregate indicators over survivors who consented to reporting, small cells withheld."""
        _check_range(start, end)
        return await report_for(db_session, actor, by, start, end, "json")

    @get("/indicators.csv", operation_id="DownloadReportCsv", opt=REPORT_ROLES, media_type="text/csv")
    async def indicators_csv(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        by: By = GroupBy.ORGANISATION,
        start: Start = None,
        end: End = None,
    ) -> Response[str]:
        """The same report as CSV (`table,row,column,value`), as a download."""
        _check_range(start, end)
        report = await report_for(db_session, actor, by, start, end, "csv")
        return Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="onward-indicators-{by.value}.csv"'},
        )

    @get("/chart.svg", operation_id="GetReportChart", opt=REPORT_ROLES, media_type="image/svg+xml")
    async def chart(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        table: Name = "activity",
        column: Name = "survivors_supported",
        by: By = GroupBy.ORGANISATION,
        start: Start = None,
        end: End = None,
    ) -> Response[str]:
        """One column of one table as a bar chart, for embedding in pages (`<img src=…>`)."""
        _check_range(start, end)
        report = await report_for(db_session, actor, by, start, end, "svg")
        found = next((candidate for candidate in report.tables if candidate.name == table), None)
        if found is None:
            raise ValidationException(detail=f"table: one of {', '.join(t.name for t in report.tables)}")
        if column not in found.columns:
            raise ValidationException(detail=f"column: one of {', '.join(found.columns)}")
        position = found.columns.index(column)
        values = [cells[position] for cells in found.cells]
        title = f"{table.replace('_', ' ')}: {column.replace('_', ' ')} by {by.value}"
        return Response(bar_chart(title, found.rows, values), media_type="image/svg+xml")


ROUTE_HANDLERS = [ReportController]
