"""Catalogue files at /admin/catalogue-files: import the province's OCOP product list (dry run first,
then import the same stored file on confirmation), and download the listings and certificates."""
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import DataRequired

from storefront.catalog.import_uploads import check_upload_size, keep_upload, take_upload
from storefront.catalog.importer import (COLUMNS, ImportFileError, ImportReport, Problem, apply_plan, check_rows,
                                         read_table)
from storefront.clock import today
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.reports.export import CONTENT_TYPES, certificate_sheet, product_sheet, render

from .navigation import add, admin_nav
from .views import bp

add(admin_nav, "admin.catalogue_files", _l("Import and export"), 60)


class UploadForm(FlaskForm):
    file = FileField(_l("Product list (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired()])


def _page(form=None, report: ImportReport | None = None, filename: str = "", confirm=None, status=200):
    return render_template("admin/imports/catalogue_files.html", form=form or UploadForm(), report=report,
                           filename=filename, confirm=confirm, import_columns=COLUMNS), status


@bp.route("/admin/catalogue-files")
def catalogue_files():
    return _page()


@bp.route("/admin/catalogue-files", methods=["POST"])
def upload_catalogue_file():
    """The dry run: the file is checked and its report shown; only a file that can be imported is kept
    (in the database, for a day, for this user), under an unguessable name, for the confirmation."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    upload = form.file.data
    filename = Path(upload.filename or "").name[:120]
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    try:
        check_upload_size(data)
        report = check_rows(read_table(data, current_app.config["IMPORT_MAX_UNPACKED_BYTES"]))
    except ImportFileError as error:
        report = ImportReport(problems=[Problem(None, "", str(error))])
    if not report.ok:
        return _page(form, report, filename, status=422)
    token = keep_upload(current_user, filename, data)
    return _page(UploadForm(formdata=None), report, filename, ConfirmForm(upload=token))


@bp.route("/admin/catalogue-files/import", methods=["POST"])
def import_catalogue_file():
    """Imports the file this user checked (the stored copy, never a re-posted one), in one transaction that
    also removes the stored copy: confirming twice imports once."""
    form = ConfirmForm()
    upload = take_upload(current_user, form.upload.data or "") if form.validate_on_submit() else None
    if upload is None:
        flash(_("That upload is no longer available: upload the file again."), "error")
        return _page(status=400)
    filename = upload.filename
    report = check_rows(read_table(upload.data, current_app.config["IMPORT_MAX_UNPACKED_BYTES"]))
    if not report.ok:  # the catalogue changed since the dry run
        return _page(UploadForm(formdata=None), report, filename, status=409)
    try:
        products, certificates = apply_plan(report, filename or "upload")
    except (DomainError, IntegrityError) as error:
        db.session.rollback()
        report.problems.append(Problem(None, "", _("The database refused the import, so nothing was imported: "
                                                   "%(error)s", error=str(getattr(error, "orig", error))[:300])))
        return _page(UploadForm(formdata=None), report, filename, status=409)
    flash(_("Imported %(file)s: %(products)s new products and %(certificates)s certificates.",
            file=filename, products=products, certificates=certificates), "success")
    return redirect(url_for("admin.catalogue_files"))


@bp.route("/admin/catalogue-files/<what>.<file_format>")
def export_catalogue_file(what, file_format):
    if what not in ("products", "certificates") or file_format not in CONTENT_TYPES:
        abort(404)
    day = today()
    sheet = product_sheet(day) if what == "products" else certificate_sheet(day)
    filename = f"ocop-{what}-{day.isoformat()}.{file_format}"
    return Response(render([sheet], file_format), content_type=CONTENT_TYPES[file_format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
