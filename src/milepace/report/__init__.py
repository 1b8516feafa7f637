"""milepace.report"""
