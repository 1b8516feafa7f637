"""milepace.plot"""
