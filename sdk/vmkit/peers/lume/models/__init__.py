"""Contains all the data models used in inputs/outputs"""

from .create_vm_request import CreateVMRequest
from .error import Error
from .message import Message
from .pull_image_request import PullImageRequest
from .run_response import RunResponse
from .run_vm_request import RunVMRequest
from .shared_directory import SharedDirectory
from .shared_directory_details import SharedDirectoryDetails
from .update_vm_request import UpdateVMRequest
from .vm_details import VMDetails
from .vm_summary import VMSummary

__all__ = (
    "CreateVMRequest",
    "Error",
    "Message",
    "PullImageRequest",
    "RunResponse",
    "RunVMRequest",
    "SharedDirectory",
    "SharedDirectoryDetails",
    "UpdateVMRequest",
    "VMDetails",
    "VMSummary",
)
