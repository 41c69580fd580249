"""Contains all the data models used in inputs/outputs"""

from .capabilities import Capabilities
from .clone_request import CloneRequest
from .get_openapi_document_open_api_document import GetOpenapiDocumentOpenAPIDocument
from .health import Health
from .health_status import HealthStatus
from .host import Host
from .host_list import HostList
from .host_status import HostStatus
from .labels import Labels
from .operation import Operation
from .operation_list import OperationList
from .operation_log_entry import OperationLogEntry
from .operation_log_entry_level import OperationLogEntryLevel
from .operation_log_list import OperationLogList
from .operation_result_type_0 import OperationResultType0
from .operation_state import OperationState
from .operation_target import OperationTarget
from .operation_target_type import OperationTargetType
from .problem import Problem
from .problem_metadata import ProblemMetadata
from .rename_request import RenameRequest
from .snapshot import Snapshot
from .snapshot_create import SnapshotCreate
from .snapshot_list import SnapshotList
from .snapshot_state import SnapshotState
from .stop_request import StopRequest
from .validation_issue import ValidationIssue
from .validation_issue_location import ValidationIssueLocation
from .vm import VM
from .vm_create import VMCreate
from .vm_extra import VMExtra
from .vm_list import VMList
from .vm_state_filter import VMStateFilter
from .vm_update import VMUpdate

__all__ = (
    "Capabilities",
    "CloneRequest",
    "GetOpenapiDocumentOpenAPIDocument",
    "Health",
    "HealthStatus",
    "Host",
    "HostList",
    "HostStatus",
    "Labels",
    "Operation",
    "OperationList",
    "OperationLogEntry",
    "OperationLogEntryLevel",
    "OperationLogList",
    "OperationResultType0",
    "OperationState",
    "OperationTarget",
    "OperationTargetType",
    "Problem",
    "ProblemMetadata",
    "RenameRequest",
    "Snapshot",
    "SnapshotCreate",
    "SnapshotList",
    "SnapshotState",
    "StopRequest",
    "ValidationIssue",
    "ValidationIssueLocation",
    "VM",
    "VMCreate",
    "VMExtra",
    "VMList",
    "VMStateFilter",
    "VMUpdate",
)
