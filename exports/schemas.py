"""Response shapes of the export endpoints, for the OpenAPI schema."""

from pydantic import BaseModel, Field


class ExportFileInfo(BaseModel):
    name: str
    size: int = Field(description="bytes")
    rows: int
    sha256: str = Field(description="hex digest of the whole file")
    url: str = Field(description="signed download link: no token needed; it expires")
    url_expires_at: str


class ExportInfo(BaseModel):
    id: str
    resource: str
    format: str
    status: str = Field(description="queued, running, succeeded, failed, cancelled, expired")
    fields: list[str]
    query: dict = Field(description="the query, window and is_random as sent")
    reserved_records: int = Field(description="records reserved from the daily quota")
    rows_written: int = Field(description="records written so far (the charge when done)")
    estimated_total: int | None = Field(description="about how many records it will write")
    truncated: bool = Field(description="more records matched than were reserved")
    error: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    expires_at: str | None = Field(description="when its files will be deleted")
    files: list[ExportFileInfo]


class ExportAnswer(BaseModel):
    export: ExportInfo


class ExportList(BaseModel):
    exports: list[ExportInfo] = Field(description="the newest 100")
