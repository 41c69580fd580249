"""Contains all the data models used in inputs/outputs"""

from .add_shared_folder_request import AddSharedFolderRequest
from .api_token import APIToken
from .api_token_summary import APITokenSummary
from .cancel_migration_request import CancelMigrationRequest
from .cleanup_vms_request import CleanupVmsRequest
from .cleanup_vms_result import CleanupVmsResult
from .clone_vm_request import CloneVmRequest
from .clone_vm_result import CloneVmResult
from .complete_migration_request import CompleteMigrationRequest
from .complete_pairing_request import CompletePairingRequest
from .create_snapshot_request import CreateSnapshotRequest
from .create_snapshot_result import CreateSnapshotResult
from .create_template_from_vm_request import CreateTemplateFromVmRequest
from .create_template_from_vm_result import CreateTemplateFromVmResult
from .create_vm_on_node_request import CreateVmOnNodeRequest
from .create_vm_on_node_result import CreateVmOnNodeResult
from .delete_snapshot_request import DeleteSnapshotRequest
from .delete_template_request import DeleteTemplateRequest
from .delete_vm_request import DeleteVmRequest
from .download_ipsw_on_node_request import DownloadIpswOnNodeRequest
from .download_ipsw_on_node_result import DownloadIpswOnNodeResult
from .error_response import ErrorResponse
from .exec_command_request import ExecCommandRequest
from .exec_command_result import ExecCommandResult
from .finalize_migration_request import FinalizeMigrationRequest
from .fleet_event import FleetEvent
from .fleet_overview import FleetOverview
from .fleet_overview_nodes_item import FleetOverviewNodesItem
from .fleet_stats import FleetStats
from .generate_api_token_request import GenerateApiTokenRequest
from .generate_api_token_result import GenerateApiTokenResult
from .get_fleet_events_request import GetFleetEventsRequest
from .get_fleet_events_result import GetFleetEventsResult
from .get_fleet_overview_request import GetFleetOverviewRequest
from .get_fleet_overview_result import GetFleetOverviewResult
from .get_ipsw_info_request import GetIpswInfoRequest
from .get_ipsw_info_result import GetIpswInfoResult
from .get_migration_chunk_request import GetMigrationChunkRequest
from .get_node_info_request import GetNodeInfoRequest
from .get_node_info_result import GetNodeInfoResult
from .get_node_stats_request import GetNodeStatsRequest
from .get_node_stats_result import GetNodeStatsResult
from .get_remote_resources_request import GetRemoteResourcesRequest
from .get_remote_resources_result import GetRemoteResourcesResult
from .get_tasks_request import GetTasksRequest
from .get_tasks_result import GetTasksResult
from .get_template_request import GetTemplateRequest
from .get_template_result import GetTemplateResult
from .get_vm_settings_request import GetVmSettingsRequest
from .get_vm_settings_result import GetVmSettingsResult
from .ipsw import IPSW
from .list_api_tokens_request import ListApiTokensRequest
from .list_api_tokens_result import ListApiTokensResult
from .list_remote_ipsws_request import ListRemoteIpswsRequest
from .list_remote_ipsws_result import ListRemoteIpswsResult
from .list_remote_oci_images_request import ListRemoteOciImagesRequest
from .list_remote_oci_images_result import ListRemoteOciImagesResult
from .list_shared_folders_request import ListSharedFoldersRequest
from .list_shared_folders_result import ListSharedFoldersResult
from .list_snapshots_request import ListSnapshotsRequest
from .list_snapshots_result import ListSnapshotsResult
from .list_templates_request import ListTemplatesRequest
from .list_templates_result import ListTemplatesResult
from .list_vms_request import ListVmsRequest
from .list_vms_result import ListVmsResult
from .mutation_result import MutationResult
from .node_id_value import NodeIDValue
from .oci_image import OCIImage
from .prepare_migration_request import PrepareMigrationRequest
from .prepare_migration_result import PrepareMigrationResult
from .prepare_receive_request import PrepareReceiveRequest
from .pull_oci_image_on_node_request import PullOciImageOnNodeRequest
from .pull_oci_image_on_node_result import PullOciImageOnNodeResult
from .push_image_request import PushImageRequest
from .push_image_result import PushImageResult
from .receive_chunk_request import ReceiveChunkRequest
from .registry_credentials import RegistryCredentials
from .remove_shared_folder_request import RemoveSharedFolderRequest
from .rename_vm_request import RenameVmRequest
from .request_pairing_request import RequestPairingRequest
from .request_pairing_result import RequestPairingResult
from .restore_snapshot_request import RestoreSnapshotRequest
from .revoke_api_token_request import RevokeApiTokenRequest
from .revoke_api_token_result import RevokeApiTokenResult
from .set_shared_folder_enabled_request import SetSharedFolderEnabledRequest
from .shared_folder import SharedFolder
from .snapshot import Snapshot
from .start_vm_recovery_request import StartVmRecoveryRequest
from .start_vm_request import StartVmRequest
from .stop_vm_request import StopVmRequest
from .suspend_vm_request import SuspendVmRequest
from .task import Task
from .template import Template
from .unpair_request import UnpairRequest
from .update_vm_settings_request import UpdateVmSettingsRequest
from .vm import VM
from .vm_configuration import VMConfiguration

__all__ = (
    "AddSharedFolderRequest",
    "APIToken",
    "APITokenSummary",
    "CancelMigrationRequest",
    "CleanupVmsRequest",
    "CleanupVmsResult",
    "CloneVmRequest",
    "CloneVmResult",
    "CompleteMigrationRequest",
    "CompletePairingRequest",
    "CreateSnapshotRequest",
    "CreateSnapshotResult",
    "CreateTemplateFromVmRequest",
    "CreateTemplateFromVmResult",
    "CreateVmOnNodeRequest",
    "CreateVmOnNodeResult",
    "DeleteSnapshotRequest",
    "DeleteTemplateRequest",
    "DeleteVmRequest",
    "DownloadIpswOnNodeRequest",
    "DownloadIpswOnNodeResult",
    "ErrorResponse",
    "ExecCommandRequest",
    "ExecCommandResult",
    "FinalizeMigrationRequest",
    "FleetEvent",
    "FleetOverview",
    "FleetOverviewNodesItem",
    "FleetStats",
    "GenerateApiTokenRequest",
    "GenerateApiTokenResult",
    "GetFleetEventsRequest",
    "GetFleetEventsResult",
    "GetFleetOverviewRequest",
    "GetFleetOverviewResult",
    "GetIpswInfoRequest",
    "GetIpswInfoResult",
    "GetMigrationChunkRequest",
    "GetNodeInfoRequest",
    "GetNodeInfoResult",
    "GetNodeStatsRequest",
    "GetNodeStatsResult",
    "GetRemoteResourcesRequest",
    "GetRemoteResourcesResult",
    "GetTasksRequest",
    "GetTasksResult",
    "GetTemplateRequest",
    "GetTemplateResult",
    "GetVmSettingsRequest",
    "GetVmSettingsResult",
    "IPSW",
    "ListApiTokensRequest",
    "ListApiTokensResult",
    "ListRemoteIpswsRequest",
    "ListRemoteIpswsResult",
    "ListRemoteOciImagesRequest",
    "ListRemoteOciImagesResult",
    "ListSharedFoldersRequest",
    "ListSharedFoldersResult",
    "ListSnapshotsRequest",
    "ListSnapshotsResult",
    "ListTemplatesRequest",
    "ListTemplatesResult",
    "ListVmsRequest",
    "ListVmsResult",
    "MutationResult",
    "NodeIDValue",
    "OCIImage",
    "PrepareMigrationRequest",
    "PrepareMigrationResult",
    "PrepareReceiveRequest",
    "PullOciImageOnNodeRequest",
    "PullOciImageOnNodeResult",
    "PushImageRequest",
    "PushImageResult",
    "ReceiveChunkRequest",
    "RegistryCredentials",
    "RemoveSharedFolderRequest",
    "RenameVmRequest",
    "RequestPairingRequest",
    "RequestPairingResult",
    "RestoreSnapshotRequest",
    "RevokeApiTokenRequest",
    "RevokeApiTokenResult",
    "SetSharedFolderEnabledRequest",
    "SharedFolder",
    "Snapshot",
    "StartVmRecoveryRequest",
    "StartVmRequest",
    "StopVmRequest",
    "SuspendVmRequest",
    "Task",
    "Template",
    "UnpairRequest",
    "UpdateVmSettingsRequest",
    "VM",
    "VMConfiguration",
)
