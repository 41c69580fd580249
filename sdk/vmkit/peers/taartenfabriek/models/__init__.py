"""Contains all the data models used in inputs/outputs"""

from .clone_request import CloneRequest
from .create_request import CreateRequest
from .empty_body import EmptyBody
from .git_hub_token_request import GitHubTokenRequest
from .git_hub_token_status import GitHubTokenStatus
from .health import Health
from .http_error import HTTPError
from .http_validation_error import HTTPValidationError
from .message import Message
from .pull_request import PullRequest
from .tart_version import TartVersion
from .task import Task
from .task_result import TaskResult
from .task_status import TaskStatus
from .validation_error import ValidationError
from .vm import VM
from .vm_config import VMConfig
from .vm_config_raw import VMConfigRaw
from .vm_image import VMImage
from .vm_images_summary import VMImagesSummary
from .vm_status import VMStatus

__all__ = (
    "CloneRequest",
    "CreateRequest",
    "EmptyBody",
    "GitHubTokenRequest",
    "GitHubTokenStatus",
    "Health",
    "HTTPError",
    "HTTPValidationError",
    "Message",
    "PullRequest",
    "TartVersion",
    "Task",
    "TaskResult",
    "TaskStatus",
    "ValidationError",
    "VM",
    "VMConfig",
    "VMConfigRaw",
    "VMImage",
    "VMImagesSummary",
    "VMStatus",
)
