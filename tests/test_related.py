"""Related stories (listings.related_stories): what a story page lists under «Câu chuyện liên
quan», and that the answer kept between saves under `mkdocs serve` shows the stories as they
are now."""

from __future__ import annotations

from bulletin.listings import related_stories
from bulletin.schema import Story


def _story(story_id: str, day: str, title: str = "", **keys: list[str]) -> Story:
    data = {"title": title or f"Câu chuyện {story_id}", "date": day, "author": "Ban Tuyên giáo", "summary": "Tóm tắt."}
    story = Story.model_validate({**data, **keys, "body": "Nội dung."})
    story.bind(story_id, f"data/stories/{story_id}.md")
    return story


STORIES = [
    _story("a", "2024-03-01", tags=["hiến máu"], units=["phuong-pho-thanh"]),
    _story("b", "2024-03-20", tags=["hiến máu"], units=["phuong-pho-thanh"]),  # two keys shared with a
    _story("c", "2024-03-02", tags=["hiến máu"]),  # one key, the closest in time
    _story("d", "2023-01-01", tags=["hiến máu"]),  # one key, far in time
    _story("e", "2024-03-01", tags=["trả của rơi"]),  # nothing shared
    _story("f", "2024-03-05", people=["tran-thi-mai"]),
    _story("g", "2024-04-05", people=["tran-thi-mai"]),
]


def _ids(related: dict[str, list[Story]]) -> dict[str, list[str]]:
    return {story_id: [s.id for s in stories] for story_id, stories in related.items()}


def test_stories_sharing_more_come_first_then_the_closest_in_time():
    related = _ids(related_stories(STORIES))
    assert related["a"] == ["b", "c", "d"]  # b shares a tag and a unit; c is a day away, d a year
    assert related["e"] == []
    assert related["f"] == ["g"] and related["g"] == ["f"]  # a person in common


def test_an_edited_title_shows_on_the_other_stories_pages():
    before = related_stories(STORIES)
    renamed = _story("b", "2024-03-20", "Tên mới", tags=["hiến máu"], units=["phuong-pho-thanh"])
    after = related_stories([renamed if s.id == "b" else s for s in STORIES])
    assert before["a"][0].title == "Câu chuyện b"
    assert after["a"][0] is renamed  # the answer is worked out again only from ids, dates and keys


def test_a_new_tag_changes_the_answer():
    retagged = _story("e", "2024-03-01", tags=["hiến máu"])
    related = _ids(related_stories([retagged if s.id == "e" else s for s in STORIES]))
    assert related["e"] == ["a", "c", "b"]  # tied at one key each: by distance in days, then id
