"""California housing as annlab and HOML prepare it, for the Keras reference scripts:
annlab's data file, scikit-learn's eight derived features (fetch_california_housing),
HOML's two train_test_split(random_state=42) and a StandardScaler fit on train."""
import gzip
import os

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "cal_housing.data.gz")


def homl_sets():
    """(X_train, y_train), (X_valid, y_valid), (X_test, y_test), scaled, float64."""
    raw = np.loadtxt(gzip.open(DATA), delimiter=",")
    cal = raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]]
    target, data = cal[:, 0] / 100000.0, cal[:, 1:].copy()
    data[:, 2] /= data[:, 5]
    data[:, 3] /= data[:, 5]
    data[:, 5] = data[:, 4] / data[:, 5]
    X_full, X_test, y_full, y_test = train_test_split(data, target, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_full, y_full, random_state=42)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    return (X_train, y_train), (scaler.transform(X_valid), y_valid), (scaler.transform(X_test), y_test)
