def run() -> None:
    print("backup done")
