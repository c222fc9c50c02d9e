"""The Socket.IO side of Facilitator: handlers, rooms and the one module that emits."""

NAMESPACE = "/live"
