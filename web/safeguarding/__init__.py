"""Safeguarding: the gateway screens, alerts, notifications and escalation, the console queue."""
