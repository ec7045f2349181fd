"""The programme report at /admin/reports: the province's figures, the plan's progress, and certified
products by former district and by group, as of any day, with CSV and XLSX downloads of the same."""
from datetime import date

from flask import Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from storefront.clock import today
from storefront.reports.export import CONTENT_TYPES, programme_sheets, render
from storefront.reports.programme import (PROGRESS_LABELS, figure_rows, programme_report, status_text,
                                          target_text, value_text)

from .navigation import add, admin_nav
from .views import bp

# The OCOP programme began in 2018 (Decision 490/QĐ-TTg); nothing earlier can hold a certificate.
EARLIEST_REPORT_DAY = date(2018, 1, 1)

add(admin_nav, "admin.reports", _l("Programme report"), 50)


class AsOfForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    as_of = DateField(_l("As of"), validators=[Optional()])

    def validate_as_of(self, field):
        if field.data is None:
            return
        if field.data > today():
            raise ValidationError(_l("Choose today or an earlier day."))
        if field.data < EARLIEST_REPORT_DAY:
            raise ValidationError(_l("The OCOP programme started in 2018: choose a later day."))


def _chosen_day() -> tuple[AsOfForm, date]:
    """The day the office asked for, or today; a date that cannot be read or used leaves an error on
    the form and the report shows today."""
    form = AsOfForm(request.args)
    if not request.args.get("as_of"):
        form.as_of.data = today()
        return form, today()
    if form.validate():
        return form, form.as_of.data
    if form.as_of.data is None:  # not a date at all: WTForms' own message is English only
        form.as_of.errors = [_l("Enter a date, like 31/12/2024.")]
    return form, today()


def _render(form: AsOfForm, day: date):
    report = programme_report(day, current_app.config["PLAN_TARGETS"])
    page = render_template("admin/reports/programme.html", form=form, report=report,
                           figure_rows=figure_rows(report.figures), progress_labels=PROGRESS_LABELS,
                           value_text=value_text, target_text=target_text, status_text=status_text)
    return page, 400 if form.as_of.errors else 200


@bp.route("/admin/reports")
def reports():
    return _render(*_chosen_day())


@bp.route("/admin/reports/programme.<file_format>")
def reports_export(file_format):
    if file_format not in CONTENT_TYPES:
        abort(404)
    form, day = _chosen_day()
    if form.as_of.errors:
        return _render(form, day)
    report = programme_report(day, current_app.config["PLAN_TARGETS"])
    filename = f"ocop-programme-{day.isoformat()}.{file_format}"
    return Response(render(programme_sheets(report), file_format), content_type=CONTENT_TYPES[file_format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
