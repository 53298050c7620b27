from jixiao.cli import run

run()
