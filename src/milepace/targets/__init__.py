"""milepace.targets"""
