"""Training wing: the SM stream, preprocessing, quantized VAEs, evaluation, export and calibration.

Kept import-light: importing ``training.stream`` must not load torch or keras.
"""
