def run() -> None:
    print("vacuum done")
