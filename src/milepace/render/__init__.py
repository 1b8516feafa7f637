"""milepace.render"""
