"""Contains all the data models used in inputs/outputs"""

from .capabilities import Capabilities
from .clone_request import CloneRequest
from .console_input import ConsoleInput
from .console_input_result import ConsoleInputResult
from .console_output import ConsoleOutput
from .event import Event
from .event_data import EventData
from .event_list import EventList
from .exec_request import ExecRequest
from .exec_request_env import ExecRequestEnv
from .exec_result import ExecResult
from .get_openapi_document_open_api_document import GetOpenapiDocumentOpenAPIDocument
from .guest_file import GuestFile
from .health import Health
from .health_status import HealthStatus
from .host import Host
from .host_list import HostList
from .host_status import HostStatus
from .image import Image
from .image_list import ImageList
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
from .resize_disk_request import ResizeDiskRequest
from .snapshot import Snapshot
from .snapshot_create import SnapshotCreate
from .snapshot_list import SnapshotList
from .snapshot_state import SnapshotState
from .stop_request import StopRequest
from .stream_reset import StreamReset
from .token import Token
from .token_create import TokenCreate
from .token_created import TokenCreated
from .token_list import TokenList
from .token_scope import TokenScope
from .token_state import TokenState
from .validation_issue import ValidationIssue
from .validation_issue_location import ValidationIssueLocation
from .vm import VM
from .vm_create import VMCreate
from .vm_extra import VMExtra
from .vm_list import VMList
from .vm_state_filter import VMStateFilter
from .vm_update import VMUpdate
from .webhook import Webhook
from .webhook_create import WebhookCreate
from .webhook_created import WebhookCreated
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_state import WebhookDeliveryState
from .webhook_list import WebhookList
from .webhook_update import WebhookUpdate

__all__ = (
    "Capabilities",
    "CloneRequest",
    "ConsoleInput",
    "ConsoleInputResult",
    "ConsoleOutput",
    "Event",
    "EventData",
    "EventList",
    "ExecRequest",
    "ExecRequestEnv",
    "ExecResult",
    "GetOpenapiDocumentOpenAPIDocument",
    "GuestFile",
    "Health",
    "HealthStatus",
    "Host",
    "HostList",
    "HostStatus",
    "Image",
    "ImageList",
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
    "ResizeDiskRequest",
    "Snapshot",
    "SnapshotCreate",
    "SnapshotList",
    "SnapshotState",
    "StopRequest",
    "StreamReset",
    "Token",
    "TokenCreate",
    "TokenCreated",
    "TokenList",
    "TokenScope",
    "TokenState",
    "ValidationIssue",
    "ValidationIssueLocation",
    "VM",
    "VMCreate",
    "VMExtra",
    "VMList",
    "VMStateFilter",
    "VMUpdate",
    "Webhook",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookDelivery",
    "WebhookDeliveryList",
    "WebhookDeliveryState",
    "WebhookList",
    "WebhookUpdate",
)
