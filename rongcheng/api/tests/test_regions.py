from rongcheng.regions.services import SESSION_KEY


def test_city_search(client, regions):
    response = client.get("/api/regions/cities", {"q": "eeds"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "150600",
            "name": "鄂尔多斯市",
            "level": 2,
            "pinyin": "eerduosi",
            "initials": "eeds",
            "longitude": 109.781327,
            "latitude": 39.608266,
        }
    ]
    assert [c["code"] for c in client.get("/api/regions/cities").json()] == ["110100", "150600"]
    assert client.get("/api/regions/cities", {"limit": 1}).json()[0]["code"] == "110100"


def test_provinces_and_children(client, regions):
    assert [p["name"] for p in client.get("/api/regions/provinces").json()] == [
        "北京市",
        "内蒙古自治区",
    ]
    assert [c["code"] for c in client.get("/api/regions/150000/children").json()] == ["150600"]
    assert [c["name"] for c in client.get("/api/regions/150600/children").json()] == ["东胜区"]
    assert client.get("/api/regions/150602/children").json() == []


def test_children_of_an_unknown_region_is_not_found(client, regions):
    response = client.get("/api/regions/999999/children")
    assert response.status_code == 404
    assert response.json() == {"code": "unknown_region", "message": "没有这个地区。"}


def test_current_city_defaults_then_follows_the_switch(client, regions):
    assert client.get("/api/regions/current").json()["code"] == "110100"

    response = client.post(
        "/api/regions/current", {"code": "150600"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name"] == "鄂尔多斯市"
    assert response.cookies["rc_city"].value == "150600"
    assert client.session[SESSION_KEY] == "150600"
    assert client.get("/api/regions/current").json()["code"] == "150600"


def test_switching_to_an_unknown_city_is_refused_and_changes_nothing(client, regions):
    response = client.post(
        "/api/regions/current", {"code": "150000"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"code": "unknown_city", "message": "没有这个城市，请重新选择。"}
    assert "rc_city" not in response.cookies
    assert SESSION_KEY not in client.session
    assert client.get("/api/regions/current").json()["code"] == "110100"


def test_current_city_without_any_region_data(client, db):
    response = client.get("/api/regions/current")
    assert response.status_code == 404 and response.json()["code"] == "unknown_region"
