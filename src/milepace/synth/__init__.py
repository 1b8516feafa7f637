"""milepace.synth"""
