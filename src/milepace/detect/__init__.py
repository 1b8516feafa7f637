"""milepace.detect"""
