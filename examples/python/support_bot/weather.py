"""Adds the local weather to delivery tickets ("is the storm delaying my parcel?")."""
import requests

WEATHER_URL = "https://api.weather.example/v1/current"


def current_weather(city: str) -> dict:
    response = requests.get(WEATHER_URL, params={"q": city})
    response.raise_for_status()
    return response.json()
