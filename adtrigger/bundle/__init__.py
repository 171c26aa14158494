"""The contract between training, the service and the firmware: numpy and the standard library only."""
