"""milepace.block"""
