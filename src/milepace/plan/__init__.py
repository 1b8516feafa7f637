"""milepace.plan"""
