"""Signing in: lockout after failed sign-ins, the second factor (TOTP), idle and absolute
session limits, and the first-sign-in password change."""
