#!/usr/bin/env python3
"""Regenerates the productpage golden pages with the original Jinja2 templates (Flask's settings).

usage: generate.py TEMPLATE_DIR JSONCONV_PY OUT_DIR
  TEMPLATE_DIR: istio/istio samples/bookinfo/src/productpage/templates (commit 86c9f01f)
  JSONCONV_PY:  softvar/json2html json2html/jsonconv.py
Needs Flask 3 and Jinja2 3.1. The pages are the original's observable output for fixed inputs.
"""
import importlib.util, json, sys
from flask import Flask, render_template

tpl, conv, out = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("jsonconv", conv)
jc = importlib.util.module_from_spec(spec); spec.loader.exec_module(jc)
app = Flask(__name__, template_folder=tpl)

product = {'id': 0, 'title': 'The Comedy of Errors', 'descriptionHtml': '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.'}
details = {"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}
T1 = "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"
T2 = "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."
def reviews(pod, cluster, r1=None, r2=None):
    a = {"reviewer": "Reviewer1", "text": T1}; b = {"reviewer": "Reviewer2", "text": T2}
    if r1 is not None: a["rating"] = r1
    if r2 is not None: b["rating"] = r2
    return {"id": "0", "podname": pod, "clustername": cluster, "reviews": [a, b]}
UNAV = {"error": "Ratings service is currently unavailable"}
cases = {
  "v1-anonymous": dict(user='', detailsStatus=200, details=details, reviewsStatus=200, reviews=reviews("reviews-v1-abc", "null")),
  "v2-jason": dict(user='jason', detailsStatus=200, details=details, reviewsStatus=200, reviews=reviews("reviews-v2-def", "null", {"stars": 5, "color": "black"}, {"stars": 4, "color": "black"})),
  "v3-cluster": dict(user='', detailsStatus=200, details=details, reviewsStatus=200, reviews=reviews("reviews-v3-ghi", "Kubernetes", {"stars": 5, "color": "red"}, {"stars": 4, "color": "red"})),
  "ratings-unavailable": dict(user='jason', detailsStatus=200, details=details, reviewsStatus=200, reviews=reviews("reviews-v2-def", "null", UNAV, UNAV)),
  "all-unavailable": dict(user='<b>"O\'Neil" & co</b>', detailsStatus=503, details={'error': 'Sorry, product details are currently unavailable for this book.'}, reviewsStatus=500, reviews={'error': 'Sorry, product reviews are currently unavailable for this book.'}),
}
with app.test_request_context():
    for name, ctx in cases.items():
        html = render_template('productpage.html', product=product, **ctx)
        open(f"{out}/{name}.html", "w").write(html)
    svc = lambda n, e, c: {"name": n, "endpoint": e, "children": c}
    d = svc("http://details:9080", "details", [])
    tree = svc("http://details:9080", "details", [d, svc("http://reviews:9080", "reviews", [svc("http://ratings:9080", "ratings", [])])])
    table = jc.json2html.convert(json=json.dumps(tree), table_attributes="class=\"table table-condensed table-bordered table-hover\"")
    open(f"{out}/index.html", "w").write(render_template('index.html', serviceTable=table))
